using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>The RustDesk client's requests, exactly as it sends them (../shared/reference/rustdesk-client-api.md).</summary>
internal static class ClientApiHttp
{
    public const string ClientId = "123456789";
    public const string ClientUuid = "MDEyMzQ1Njc4OWFiY2RlZg==";
    public const string Password = "Quiet-Harbor-Lantern-58";

    public static readonly JsonObject DeviceInfo = new() { ["os"] = "windows", ["type"] = "client", ["name"] = "JANE-PC" };

    /// <summary>Step 1: <c>{username, password, id, uuid, autoLogin: true, type: "account", deviceInfo}</c>.</summary>
    public static string PasswordStep(string userName, string password, string id = ClientId, string uuid = ClientUuid) =>
        new JsonObject
        {
            ["username"] = userName,
            ["password"] = password,
            ["id"] = id,
            ["uuid"] = uuid,
            ["autoLogin"] = true,
            ["type"] = "account",
            ["deviceInfo"] = DeviceInfo.DeepClone(),
        }.ToJsonString();

    /// <summary>
    /// Step 2 of a current client: <c>{verificationCode, tfaCode (TOTP only), secret, username, id, uuid, autoLogin, type: "email_code", deviceInfo}</c>;
    /// <paramref name="secret"/> null is an older client's, <paramref name="nameField"/> "email" the oldest one's.
    /// </summary>
    public static string CodeStep(string userName, string code, string? secret, bool totp, string id = ClientId, string uuid = ClientUuid,
        string nameField = "username")
    {
        var body = new JsonObject { ["verificationCode"] = code };
        if (totp && secret is not null)
        {
            body["tfaCode"] = code;
        }
        if (secret is not null)
        {
            body["secret"] = secret;
        }
        body[nameField] = userName;
        body["id"] = id;
        body["uuid"] = uuid;
        body["autoLogin"] = true;
        body["type"] = "email_code";
        body["deviceInfo"] = DeviceInfo.DeepClone();
        return body.ToJsonString();
    }

    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(this HttpClient client, string path, string body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ConsoleHttp.AssertNoStackTrace(text);
        return (response.StatusCode, text);
    }

    /// <summary>Posts to <c>/api/login</c> and reads the answer as the client would; HTTP 200 is required.</summary>
    public static async Task<RustDeskClientParser.LoginResponse> LoginAsync(this HttpClient client, string body)
    {
        var (status, text) = await client.PostAsync("/api/login", body);
        Assert.Equal(HttpStatusCode.OK, status);
        return RustDeskClientParser.ParseLogin(text);
    }

    /// <summary><c>POST /api/currentUser</c> with the token, as the client checks it at start.</summary>
    public static Task<(HttpStatusCode Status, string Body)> CurrentUserAsync(this HttpClient client, string token) =>
        client.PostAsync("/api/currentUser", new JsonObject { ["id"] = ClientId, ["uuid"] = ClientUuid }.ToJsonString(), token);

    /// <summary>A plain user with the given address and <see cref="Password"/>.</summary>
    public static async Task<ConsoleUser> CreateUserAsync(IServiceProvider services, string userName, string? email = null)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = email, DisplayName = userName + " Doe", Note = "a note" };
        user.PasswordHash = users.PasswordHasher.HashPassword(user, Password);
        Assert.True((await users.CreateAsync(user)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
        return user;
    }

    public static async Task UpdateUserAsync(IServiceProvider services, string userId, Action<ConsoleUser> change)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        change(await db.Users.SingleAsync(u => u.Id == userId));
        await db.SaveChangesAsync();
    }

    public static async Task<ConsoleUser> ReloadAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == userId);
    }

    public static async Task<List<UserSession>> SessionsAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync();
    }

    public static async Task<int> PendingCountAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().PendingSignIns.CountAsync(p => p.UserId == userId);
    }
}
