using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SweepSpecCanonical : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "spec_canonical",
                table: "sweeps",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "spec_canonical",
                table: "sweeps");
        }
    }
}
