using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fido2NetLib.Objects;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// A WebAuthn authenticator in software for Core tests: an ECDSA P-256 key, a credential id and a signature counter.
/// It answers the options JSON a Core service issued exactly as a browser would hand an authenticator's answer back:
/// clientDataJSON, authenticatorData, a DER signature over authenticatorData ‖ SHA-256(clientDataJSON), all base64url.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    public const string DefaultOrigin = "http://localhost:21114";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The counter the next assertion carries before it is incremented (0 = an authenticator without a counter).</summary>
    public uint Counter { get; set; }

    /// <summary>Whether assertions count up (real security keys) or always send 0 (many platform passkeys).</summary>
    public bool Counts { get; set; } = true;

    /// <summary>The user handle of the registration (kept, as a discoverable credential does).</summary>
    public byte[]? UserHandle { get; private set; }

    public string Origin { get; set; } = DefaultOrigin;

    /// <summary>Answers <c>navigator.credentials.create</c> options with a "none" attestation.</summary>
    public string Create(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var rpId = (string)options["rp"]!["id"]!;
        UserHandle = FromBase64Url((string)options["user"]!["id"]!);
        var clientData = ClientData("webauthn.create", (string)options["challenge"]!);
        var publicKey = new CredentialPublicKey(_key, COSE.Algorithm.ES256);
        var attested = new AttestedCredentialData(Guid.Empty, CredentialId, publicKey);
        var authData = new AuthenticatorData(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)),
            AuthenticatorFlags.UP | AuthenticatorFlags.UV | AuthenticatorFlags.AT, 0, attested, null).ToByteArray();
        var cbor = new CborWriter();
        cbor.WriteStartMap(3);
        cbor.WriteTextString("fmt");
        cbor.WriteTextString("none");
        cbor.WriteTextString("attStmt");
        cbor.WriteStartMap(0);
        cbor.WriteEndMap();
        cbor.WriteTextString("authData");
        cbor.WriteByteString(authData);
        cbor.WriteEndMap();
        return JsonSerializer.Serialize(new
        {
            id = ToBase64Url(CredentialId),
            rawId = ToBase64Url(CredentialId),
            type = "public-key",
            response = new { attestationObject = ToBase64Url(cbor.Encode()), clientDataJSON = ToBase64Url(clientData), transports = new[] { "internal" } },
            clientExtensionResults = new { },
        });
    }

    /// <summary>Answers <c>navigator.credentials.get</c> options; <paramref name="clientDataPadding"/> inflates clientDataJSON.</summary>
    public string Get(string optionsJson, bool withUserHandle = true, int clientDataPadding = 0, ECDsa? signWith = null, byte[]? credentialId = null)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var rpId = (string)options["rpId"]!;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!, clientDataPadding);
        if (Counts)
        {
            Counter++;
        }
        var authData = new AuthenticatorData(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)),
            AuthenticatorFlags.UP | AuthenticatorFlags.UV, Counts ? Counter : 0, null, null).ToByteArray();
        var signed = authData.Concat(SHA256.HashData(clientData)).ToArray();
        var signature = (signWith ?? _key).SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var id = credentialId ?? CredentialId;
        return JsonSerializer.Serialize(new
        {
            id = ToBase64Url(id),
            rawId = ToBase64Url(id),
            type = "public-key",
            response = new
            {
                authenticatorData = ToBase64Url(authData),
                clientDataJSON = ToBase64Url(clientData),
                signature = ToBase64Url(signature),
                userHandle = withUserHandle && UserHandle is not null ? ToBase64Url(UserHandle) : null,
            },
            clientExtensionResults = new { },
        });
    }

    private byte[] ClientData(string type, string challenge, int padding = 0)
    {
        var json = new Dictionary<string, object>
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = Origin,
            ["crossOrigin"] = false,
        };
        if (padding > 0)
        {
            json["padding"] = new string('x', padding);
        }
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public void Dispose() => _key.Dispose();
}
