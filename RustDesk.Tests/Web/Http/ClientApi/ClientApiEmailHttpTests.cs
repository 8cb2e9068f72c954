using System.Text.RegularExpressions;
using MimeKit;
using RustDesk.Core.ClientApi;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ClientApi.ClientApiHttp;
using Kind = RustDesk.Tests.Web.Http.ClientApi.RustDeskClientParser.LoginKind;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>Email login verification from the RustDesk client: the code goes through the console's outbox to a real SMTP listener.</summary>
public sealed class ClientApiEmailHttpTests : ConsoleHttpTest
{
    private const string Address = "jane@example.com";
    private readonly SmtpListener _smtp = new();
    private HttpClient _client = default!;

    protected override ConsoleAppFactory CreateApp() => new(settings: _smtp.Settings);

    protected override async Task ArrangeAsync()
    {
        await _smtp.StartAsync();
        _client = CookielessClient();
        var jane = await ClientApiHttp.CreateUserAsync(App.Services, "jane", Address);
        await UpdateUserAsync(App.Services, jane.Id, u => u.EmailLoginVerification = true);
    }

    protected override async Task CleanUpAsync() => await _smtp.DisposeAsync();

    private static string CodeIn(MimeMessage message) => Regex.Match(message.TextBody ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])").Value;

    [Fact]
    public async Task Login_EmailVerification_EmailDialogThenTheMailedCodeSignsIn()
    {
        var step1 = await _client.LoginAsync(PasswordStep("jane", Password));
        var mail = await _smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == Address));
        var wrong = await _client.LoginAsync(CodeStep("jane", CodeIn(mail) == "000000" ? "111111" : "000000", step1.Secret, totp: false));
        var step2 = await _client.LoginAsync(CodeStep("jane", CodeIn(mail), step1.Secret, totp: false));
        var again = await _client.LoginAsync(CodeStep("jane", CodeIn(mail), step1.Secret, totp: false));

        Assert.Equal(Kind.EmailDialog, step1.Kind);
        Assert.Equal(ClientApiMessages.WrongCode, wrong.Error);
        Assert.Equal(Kind.Token, step2.Kind);
        Assert.Equal(ClientApiMessages.WrongCode, again.Error);
    }

    [Fact]
    public async Task Login_EmailVerification_OldestClientWithEmailFieldAndNoSecret_SignsIn()
    {
        await _client.LoginAsync(PasswordStep("jane", Password));
        var mail = await _smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == Address));

        var step2 = await _client.LoginAsync(CodeStep("jane", CodeIn(mail), secret: null, totp: false, nameField: "email"));

        Assert.Equal(Kind.Token, step2.Kind);
    }
}
