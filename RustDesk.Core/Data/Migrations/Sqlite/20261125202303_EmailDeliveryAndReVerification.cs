using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RustDesk.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EmailDeliveryAndReVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReVerifiedUntil",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EmailMessageId",
                table: "PendingSignIns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EmailMessageId",
                table: "EmailChangeRequests",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReVerifiedUntil",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "EmailMessageId",
                table: "PendingSignIns");

            migrationBuilder.DropColumn(
                name: "EmailMessageId",
                table: "EmailChangeRequests");
        }
    }
}
