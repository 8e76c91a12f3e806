using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "infrastructure_losses",
                table: "trials",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "leased_at",
                table: "trials",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "model_failures",
                table: "trials",
                type: "INTEGER",
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
