using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<double[]>(
                name: "kl_per_dimension",
                table: "epoch_metrics",
                type: "double precision[]",
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
