using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hagenow.CdoForum.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventCancellationAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "Events",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CancelledAtUtc",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NoticeBaseline",
                table: "Events",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "CancelledAtUtc",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "NoticeBaseline",
                table: "Events");
        }
    }
}
