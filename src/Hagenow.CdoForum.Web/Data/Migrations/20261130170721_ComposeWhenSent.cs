using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hagenow.CdoForum.Web.Data.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "WaitingPosition",
                table: "OutboxMessages",
                type: "INTEGER",
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
