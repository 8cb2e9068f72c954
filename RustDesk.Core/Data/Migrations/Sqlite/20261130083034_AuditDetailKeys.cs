using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RustDesk.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditDetailKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DetailArgs",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DetailKey",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DetailArgs",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "DetailKey",
                table: "AuditEvents");
        }
    }
}
