using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RustDesk.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TotpEnrollmentPerSession : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Pending keys were per user; they live 15 minutes and cannot be given a session: the open dialogs restart.
            migrationBuilder.Sql("DELETE FROM TotpEnrollments;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments");

            migrationBuilder.AddColumn<string>(
                name: "SessionId",
                table: "TotpEnrollments",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_TotpEnrollments_UserId",
                table: "TotpEnrollments",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments");

            migrationBuilder.DropIndex(
                name: "IX_TotpEnrollments_UserId",
                table: "TotpEnrollments");

            migrationBuilder.DropColumn(
                name: "SessionId",
                table: "TotpEnrollments");

            migrationBuilder.AddPrimaryKey(
                name: "PK_TotpEnrollments",
                table: "TotpEnrollments",
                column: "UserId");
        }
    }
}
