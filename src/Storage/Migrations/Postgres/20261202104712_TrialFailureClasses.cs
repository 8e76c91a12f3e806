using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrialFailureClasses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "failure_class",
                table: "trials",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "infrastructure_losses",
                table: "trials",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "leased_at",
                table: "trials",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "model_failures",
                table: "trials",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failure_class",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "infrastructure_losses",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "leased_at",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "model_failures",
                table: "trials");
        }
    }
}
