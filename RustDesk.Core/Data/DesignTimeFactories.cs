using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RustDesk.Core.Data;

// Used only by `dotnet ef migrations add` (see README, "Changing the data model"); no database is touched.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteConsoleDbContext>
{
    public SqliteConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteConsoleDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerConsoleDbContext>
{
    public SqlServerConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerConsoleDbContext>().UseSqlServer("Server=.;Database=RustDeskConsole;Trusted_Connection=True").Options);
}
