using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hagenow.CdoForum.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ComposeWhenSent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ComposeWhenSent",
                table: "OutboxMessages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "WaitingPosition",
                table: "OutboxMessages",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ComposeWhenSent",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "WaitingPosition",
                table: "OutboxMessages");
        }
    }
}
