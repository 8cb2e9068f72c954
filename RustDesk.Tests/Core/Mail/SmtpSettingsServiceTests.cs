using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Mail;

public sealed class SmtpSettingsServiceTests : IAsyncLifetime
{
    private const string SmtpPassword = "Sm7p-Pa55word-in-clear";
    private readonly SmtpListener _smtp = new();
    private CoreHost _host = default!;
    private string _adminId = "";
    private string _adminSession = "";

    public async Task InitializeAsync()
    {
        await _smtp.StartAsync();
        // Configuration points somewhere else, so a delivery to the listener proves the saved settings won.
        _host = await new CoreHost(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "smtp.configured.example",
            ["Smtp:Port"] = "2525",
            ["Smtp:Password"] = "configured-password",
        }).InitializeAsync();
        _adminId = (await _host.FindUserAsync(DatabaseInitializer.AdminUserName))!.Id;
        _adminSession = await _host.SessionIdOfAsync(_adminId);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private SmtpSettingsInput ListenerInput(string? newPassword = null) => new()
    {
        Host = _smtp.Host,
        Port = _smtp.Port,
        Security = SmtpSecurity.None,
        From = "Console <console@example.com>",
        NewPassword = newPassword,
    };

    private Task<T> WithService<T>(Func<SmtpSettingsService, Task<T>> action) => _host.WithAsync(action);

    private Task<int> SavedRowsAsync() => _host.WithAsync<ConsoleDbContext, int>(db => db.SmtpSettings.CountAsync());

    [Fact]
    public async Task GetEffective_NothingSaved_UsesConfiguration()
    {
        var effective = await WithService(s => s.GetEffectiveAsync());

        Assert.Equal(("smtp.configured.example", 2525, "configured-password", SmtpSettingsSource.Configuration),
            (effective.Host, effective.Port, effective.Password, effective.Source));
        Assert.Equal(Path.Combine(_host.DataDirectory, "mail"), effective.PickupDirectory);
        Assert.DoesNotContain("configured-password", effective.ToString());
    }

    [Fact]
    public async Task SaveAsync_Administrator_OverridesConfigurationAndEncryptsThePassword()
    {
        var result = await WithService(s => s.SaveAsync(_adminId, _adminSession, ListenerInput(SmtpPassword)));

        Assert.True(result.Succeeded);
        var effective = await WithService(s => s.GetEffectiveAsync());
        Assert.Equal((_smtp.Host, _smtp.Port, SmtpSecurity.None, SmtpPassword, SmtpSettingsSource.Database),
            (effective.Host, effective.Port, effective.Security, effective.Password, effective.Source));
        var stored = await ReadStoredRowAsync();
        Assert.DoesNotContain(SmtpPassword, stored);
        Assert.Contains(_smtp.Host, stored);
        var edit = await WithService(s => s.GetForEditAsync(_adminId, _adminSession));
        Assert.True(edit.PasswordSet);
        Assert.Equal(SmtpSettingsSource.Database, edit.Source);
    }

    [Fact]
    public async Task SaveAsync_EmptyNewPassword_KeepsThePasswordAndClearPasswordRemovesIt()
    {
        await WithService(s => s.SaveAsync(_adminId, _adminSession, ListenerInput(SmtpPassword)));

        await WithService(s => s.SaveAsync(_adminId, _adminSession, ListenerInput(newPassword: "")));
        var kept = await WithService(s => s.GetEffectiveAsync());
        var clearing = ListenerInput("ignored-when-clearing");
        clearing.ClearPassword = true;
        await WithService(s => s.SaveAsync(_adminId, _adminSession, clearing));
        var cleared = await WithService(s => s.GetEffectiveAsync());

        Assert.Equal(SmtpPassword, kept.Password);
        Assert.Null(cleared.Password);
        Assert.False((await WithService(s => s.GetForEditAsync(_adminId, _adminSession))).PasswordSet);
    }

    [Fact]
    public async Task SaveAsync_FirstSaveWithoutNewPassword_KeepsTheConfiguredPassword()
    {
        await WithService(s => s.SaveAsync(_adminId, _adminSession, ListenerInput()));

        Assert.Equal("configured-password", (await WithService(s => s.GetEffectiveAsync())).Password);
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.Support)]
    public async Task SaveAsync_NotAnAdministrator_IsRefusedAndSavesNothing(string role)
    {
        var user = await _host.CreateUserAsync("someone", "correct horse battery", role);
        var session = await _host.SessionIdOfAsync(user.Id);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithService(s => s.SaveAsync(user.Id, session, ListenerInput(SmtpPassword))));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithService(s => s.GetForEditAsync(user.Id, session)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithService(s => s.SendTestAsync(user.Id, session, "x@example.com")));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithService(s => s.GetLastDeliveryErrorAsync(user.Id, session)));
        Assert.Equal(0, await SavedRowsAsync());
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task SaveAsync_UnknownUser_IsRefused()
    {
        await Assert.ThrowsAsync<RustDesk.Core.Sessions.SessionRefusedException>(
            () => WithService(s => s.SaveAsync("no-such-user", new string('F', 64), ListenerInput())));
        Assert.Equal(0, await SavedRowsAsync());
    }

    public static TheoryData<string, int, string, SmtpSettingsField, SmtpSettingsError> BadInput => new()
    {
        { "smtp.example.com", 0, "c@example.com", SmtpSettingsField.Port, SmtpSettingsError.PortOutOfRange },
        { "smtp.example.com", 70000, "c@example.com", SmtpSettingsField.Port, SmtpSettingsError.PortOutOfRange },
        { "smtp example.com", 587, "c@example.com", SmtpSettingsField.Host, SmtpSettingsError.HostInvalid },
        { new string('a', 10_000), 587, "c@example.com", SmtpSettingsField.Host, SmtpSettingsError.HostInvalid },
        { "smtp://smtp.example.com", 587, "c@example.com", SmtpSettingsField.Host, SmtpSettingsError.HostInvalid },
        { "smtp.example.com:587", 587, "c@example.com", SmtpSettingsField.Host, SmtpSettingsError.HostInvalid },
        { "smtp.example.com", 587, "not a mailbox", SmtpSettingsField.From, SmtpSettingsError.FromInvalid },
        { "smtp.example.com", 587, "", SmtpSettingsField.From, SmtpSettingsError.FromInvalid },
        { "smtp.example.com", 587, "a@example.com, b@example.com", SmtpSettingsField.From, SmtpSettingsError.FromInvalid },
        { "smtp.example.com", 587, "Console <console@>", SmtpSettingsField.From, SmtpSettingsError.FromInvalid },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task SaveAsync_BadInput_ReturnsTheFieldErrorAndSavesNothing(string host, int port, string from,
        SmtpSettingsField field, SmtpSettingsError error)
    {
        var input = new SmtpSettingsInput { Host = host, Port = port, From = from, NewPassword = SmtpPassword };

        var result = await WithService(s => s.SaveAsync(_adminId, _adminSession, input));

        Assert.False(result.Succeeded);
        Assert.Equal(error, Assert.Single(result.Errors, e => e.Key == field).Value);
        Assert.Equal(0, await SavedRowsAsync());
        Assert.Equal("smtp.configured.example", (await WithService(s => s.GetEffectiveAsync())).Host);
    }

    [Fact]
    public async Task SaveAsync_SeveralBadFields_ReportsEachOne()
    {
        var input = new SmtpSettingsInput { Host = "bad host", Port = -1, From = "nobody", UserName = new string('u', 300) };

        var result = await WithService(s => s.SaveAsync(_adminId, _adminSession, input));

        Assert.Equal(
            [SmtpSettingsField.Host, SmtpSettingsField.Port, SmtpSettingsField.UserName, SmtpSettingsField.From],
            result.Errors.Keys.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("mail.example.com")]
    [InlineData("192.0.2.10")]
    [InlineData("::1")]
    public async Task SaveAsync_ValidHostOrEmpty_IsSaved(string host)
    {
        var input = ListenerInput();
        input.Host = host;

        var result = await WithService(s => s.SaveAsync(_adminId, _adminSession, input));

        Assert.True(result.Succeeded);
        var effective = await WithService(s => s.GetEffectiveAsync());
        Assert.Equal(host.Length > 0, effective.UsesSmtp);
    }

    [Fact]
    public async Task SendTestAsync_SavedSettings_DeliversTheTestMessageToTheListener()
    {
        await WithService(s => s.SaveAsync(_adminId, _adminSession, ListenerInput()));

        var result = await WithService(s => s.SendTestAsync(_adminId, _adminSession, "ops@example.com", "de"));
        await _host.Worker().ProcessDueAsync();

        Assert.True(result.Queued);
        var message = await _smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(a => a.Address == "ops@example.com"));
        Assert.Equal(MailTemplates.Text("de", "Test.Subject"), message.Subject);
        Assert.Equal(MailDeliveryState.Sent, await _host.StateAsync(result.OutboxId!.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-an-address")]
    [InlineData("a@b.c\r\nBcc: victim@example.com")]
    public async Task SendTestAsync_InvalidRecipient_ReturnsErrorAndQueuesNothing(string? to)
    {
        var result = await WithService(s => s.SendTestAsync(_adminId, _adminSession, to));

        Assert.Equal((false, SmtpSettingsError.RecipientInvalid), (result.Queued, result.Error));
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task GetLastDeliveryError_AfterAFailedAttempt_ReturnsTheErrorAndItsTime()
    {
        var before = await WithService(s => s.GetLastDeliveryErrorAsync(_adminId, _adminSession));
        var input = ListenerInput();
        await _smtp.StopAsync();
        await WithService(s => s.SaveAsync(_adminId, _adminSession, input));
        var queued = await WithService(s => s.SendTestAsync(_adminId, _adminSession, "ops@example.com"));

        await _host.Worker().ProcessDueAsync();
        var after = await WithService(s => s.GetLastDeliveryErrorAsync(_adminId, _adminSession));

        Assert.Null(before);
        Assert.NotNull(after);
        Assert.Equal((queued.OutboxId!.Value, _host.Time.GetUtcNow().UtcDateTime), (after.OutboxId, after.At));
        Assert.False(string.IsNullOrWhiteSpace(after.Error));
    }

    /// <summary>Every column of the saved row, as the database file holds it.</summary>
    private async Task<string> ReadStoredRowAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM SmtpSettings";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))));
    }
}
