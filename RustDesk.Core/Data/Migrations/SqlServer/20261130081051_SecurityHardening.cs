using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RustDesk.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SecurityHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Pending enrollment keys now belong to a session; rows from before cannot name theirs (they live minutes).
            migrationBuilder.Sql("DELETE FROM TotpEnrollments;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments");

            migrationBuilder.AddColumn<string>(
                name: "SessionId",
                table: "TotpEnrollments",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DeviceHash",
                table: "Sessions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AbsoluteExpiresAt",
                table: "PendingSignIns",
                type: "datetime2",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "DeviceHash",
                table: "PendingSignIns",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "PendingSignIns",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AggregateKey",
                table: "AuditEvents",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "AuditEvents",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "AspNetUsers",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LockedOutUntil",
                table: "AspNetUsers",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LockoutCount",
                table: "AspNetUsers",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "MustChangePassword",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments",
                column: "SessionId");

            migrationBuilder.CreateTable(
                name: "ServerSecrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ProtectedValue = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerSecrets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "TrustedDevices",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    DeviceHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastSignInAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    FailureCount = table.Column<int>(type: "int", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "int", nullable: false),
                    LockoutCount = table.Column<int>(type: "int", nullable: false),
                    LockedOutUntil = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrustedDevices", x => new { x.UserId, x.DeviceHash });
                    table.ForeignKey(
                        name: "FK_TrustedDevices_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TotpEnrollments_UserId",
                table: "TotpEnrollments",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_AggregateKey",
                table: "AuditEvents",
                column: "AggregateKey",
                unique: true,
                filter: "[AggregateKey] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServerSecrets");

            migrationBuilder.DropTable(
                name: "TrustedDevices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments");

            migrationBuilder.DropIndex(
                name: "IX_TotpEnrollments_UserId",
                table: "TotpEnrollments");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_AggregateKey",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "SessionId",
                table: "TotpEnrollments");

            migrationBuilder.DropColumn(
                name: "DeviceHash",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "AbsoluteExpiresAt",
                table: "PendingSignIns");

            migrationBuilder.DropColumn(
                name: "DeviceHash",
                table: "PendingSignIns");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "PendingSignIns");

            migrationBuilder.DropColumn(
                name: "AggregateKey",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "Count",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "ConsecutiveFailures",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LockedOutUntil",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LockoutCount",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MustChangePassword",
                table: "AspNetUsers");

            migrationBuilder.AddPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments",
                column: "UserId");
        }
    }
}
