import MailComposer from "nodemailer/lib/mail-composer/index.js";

export type RawEmailAttachment = { filename: string; contentType: string; content: Buffer };

export type RawEmail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: RawEmailAttachment[];
  headers?: Record<string, string>;
  /** The Date header; pass the workflow's `now` (core reads no clock, nodemailer would). */
  date?: Date;
  messageId?: string;
};

/** A raw MIME message (multipart/mixed around multipart/alternative text + HTML, then attachments) for SES SendEmail Raw. */
export async function buildRawEmail(email: RawEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    date: email.date,
    messageId: email.messageId,
    textEncoding: "quoted-printable",
    attachments: (email.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      contentTransferEncoding: "base64",
    })),
  });
  return composer.compile().build();
}
