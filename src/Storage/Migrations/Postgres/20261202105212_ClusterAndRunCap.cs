using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SweepRunner.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClusterAndRunCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "run_cap",
                table: "sweeps",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "cluster",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    cluster_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    coordinator_version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cluster");

            migrationBuilder.DropColumn(
                name: "run_cap",
                table: "sweeps");
        }
    }
}
