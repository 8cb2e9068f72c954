namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>The strict model of the client's parser must itself refuse what the real client fails on, or the contract tests prove nothing.</summary>
public sealed class RustDeskClientParserTests
{
    private const string User =
        """{"name":"jane","display_name":"","avatar":"","email":"","note":"","status":1,"is_admin":false,"verifier":"","info":{"email_verification":false,"email_alarm_notification":false,"login_device_whitelist":[],"other":{}}}""";

    [Theory]
    [InlineData("""{"type":"tfa_check","secret":"s","user":{"name":"jane","email":""}}""")]
    [InlineData("""{"type":"email_check","tfa_type":"totp","secret":"s","user":{"name":"jane","email":""}}""")]
    [InlineData("""{"type":"email_check","tfa_type":"tfa_check","secret":"s"}""")]
    [InlineData("""{"type":"email_check","tfa_type":"tfa_check","secret":"s","user":{"name":"jane"}}""")]
    [InlineData("""{"type":"email_check","tfa_type":"tfa_check","user":{"name":"jane","email":""}}""")]
    [InlineData("""{"type":"access_token","user":{}}""")]
    [InlineData("""{"type":"access_token","access_token":"t","user":{"name":"jane"}}""")]
    [InlineData("""{"access_token":"t"}""")]
    [InlineData("""{"error":401}""")]
    [InlineData("""[]""")]
    [InlineData("""<html>""")]
    public void ParseLogin_WhatTheClientFailsOn_Throws(string json) =>
        Assert.Throws<ClientParseException>(() => RustDeskClientParser.ParseLogin(json));

    [Theory]
    [InlineData("\"is_admin\":false", "\"is_admin\":\"false\"")]
    [InlineData("\"is_admin\":false", "\"is_admin\":0")]
    [InlineData("\"status\":1", "\"status\":\"1\"")]
    [InlineData("\"status\":1", "\"status\":2")]
    [InlineData(",\"info\":{\"email_verification\":false,\"email_alarm_notification\":false,\"login_device_whitelist\":[],\"other\":{}}", "")]
    [InlineData("\"login_device_whitelist\":[]", "\"login_device_whitelist\":{}")]
    [InlineData("\"other\":{}", "\"other\":[]")]
    [InlineData("\"email_verification\":false", "\"email_verification\":null")]
    [InlineData("\"name\":\"jane\"", "\"name\":null")]
    public void ParseLogin_UserPayloadOfTheWrongShape_Throws(string part, string replacement) =>
        Assert.Throws<ClientParseException>(() =>
            RustDeskClientParser.ParseLogin("""{"type":"access_token","access_token":"t","user":""" + User.Replace(part, replacement) + "}"));

    [Fact]
    public void ParseLogin_TheShapesTheReferenceDescribes_AreRead()
    {
        Assert.Equal(RustDeskClientParser.LoginKind.Token,
            RustDeskClientParser.ParseLogin("""{"type":"access_token","access_token":"t","user":""" + User + "}").Kind);
        Assert.Equal(RustDeskClientParser.LoginKind.AuthenticatorDialog,
            RustDeskClientParser.ParseLogin("""{"type":"email_check","tfa_type":"tfa_check","secret":"s","user":{"name":"jane","email":""}}""").Kind);
        Assert.Equal(RustDeskClientParser.LoginKind.EmailDialog,
            RustDeskClientParser.ParseLogin("""{"type":"email_check","secret":"s","user":{"name":"jane","email":""}}""").Kind);
        Assert.Equal("Wrong credentials", RustDeskClientParser.ParseError("""{"error":"Wrong credentials"}"""));
    }
}
