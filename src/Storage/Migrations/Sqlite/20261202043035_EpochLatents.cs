using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EpochLatents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "active_units",
                table: "epoch_metrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kl_per_dimension",
                table: "epoch_metrics",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "active_units",
                table: "epoch_metrics");

            migrationBuilder.DropColumn(
                name: "kl_per_dimension",
                table: "epoch_metrics");
        }
    }
}
