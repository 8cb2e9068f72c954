namespace RustDesk.Core.Mail;

/// <summary>Which of the two code messages <see cref="MailTemplates.EmailCodeMessage"/> writes (the codes themselves are EmailVerification's).</summary>
public enum EmailCodePurpose
{
    SignIn,
    ConfirmAddress,
}
