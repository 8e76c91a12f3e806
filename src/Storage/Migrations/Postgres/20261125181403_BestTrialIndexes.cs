using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BestTrialIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_trials_sweep_id_active_units",
                table: "trials",
                columns: new[] { "sweep_id", "active_units" });

            migrationBuilder.CreateIndex(
                name: "IX_trials_sweep_id_iwae_nll",
                table: "trials",
                columns: new[] { "sweep_id", "iwae_nll" });

            migrationBuilder.CreateIndex(
                name: "IX_trials_sweep_id_test_kl",
                table: "trials",
                columns: new[] { "sweep_id", "test_kl" });

            migrationBuilder.CreateIndex(
                name: "IX_trials_sweep_id_test_recon",
                table: "trials",
                columns: new[] { "sweep_id", "test_recon" });

            migrationBuilder.CreateIndex(
                name: "IX_trials_sweep_id_test_total",
                table: "trials",
                columns: new[] { "sweep_id", "test_total" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_trials_sweep_id_active_units",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_trials_sweep_id_iwae_nll",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_trials_sweep_id_test_kl",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_trials_sweep_id_test_recon",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_trials_sweep_id_test_total",
                table: "trials");
        }
    }
}
