using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hagenow.CdoForum.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ArchivedAttendedCount",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ArchivedCancelledCount",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ArchivedConfirmedCount",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ArchivedWaitingCount",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "PersonalDataErasedAtUtc",
                table: "Events",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ArchivedAttendedCount",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "ArchivedCancelledCount",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "ArchivedConfirmedCount",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "ArchivedWaitingCount",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "PersonalDataErasedAtUtc",
                table: "Events");
        }
    }
}
