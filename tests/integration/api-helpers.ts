import { expect } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import type { InboxEmail, TestStack } from "../support/local-stack.js";

/** Helpers for the API acceptance tests: sign in through the inbox, draft and sign reports, find links in e-mails. */
export function apiClient(stack: TestStack) {
  const mailsTo = async (address: string, subject?: RegExp) =>
    (await stack.inbox()).filter((m) => m.destination.to.includes(address) && (!subject || subject.test(m.subject)));

  const waitForMail = async (address: string, subject: RegExp, count = 1): Promise<InboxEmail[]> =>
    stack.waitFor(async () => {
      const found = await mailsTo(address, subject);
      return found.length >= count ? found : undefined;
    }, `${count} e-mail(s) to ${address} matching ${subject}`);

  const linkIn = (mail: InboxEmail, pattern: RegExp): string => {
    const match = (mail.body.text ?? "").match(pattern);
    if (!match) throw new Error(`No link ${pattern} in ${mail.subject}:\n${mail.body.text}`);
    return match[0];
  };

  const path = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };

  /** Presses the sign-in page's button: the form POST that uses the link (opening the link only shows the page). */
  async function useSignInLink(link: string, headers: Record<string, string> = {}): Promise<Response> {
    const token = new URL(link, "http://link.invalid").searchParams.get("token") ?? "";
    return stack.request("/api/auth/callback", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams({ token }).toString() });
  }

  async function signIn(email: string): Promise<string> {
    const before = (await mailsTo(email, /link do logowania/)).length;
    const asked = await stack.request("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
    expect(asked.status).toBe(202);
    const mails = await waitForMail(email, /link do logowania/, before + 1);
    const link = linkIn(mails.at(-1)!, /https?:\/\/\S+\/api\/auth\/callback\?token=[A-Za-z0-9_-]+/);
    const shown = await stack.request(path(link));
    expect(shown.status).toBe(200);
    const opened = await useSignInLink(link);
    expect(opened.status).toBe(303);
    const cookie = opened.headers.getSetCookie().find((c) => c.startsWith("karta_session="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    return cookie!.split(";")[0];
  }

  async function call(cookie: string | undefined, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await stack.request(url, {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  const visit = (date: string, from: string, to: string, extra: Record<string, unknown> = {}) => ({
    date,
    start: warsawInstant(date, from),
    end: warsawInstant(date, to),
    scopeIds: ["t01-contacts"],
    mode: "in_person",
    ...extra,
  });

  const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  /** Signs the report as it is now (both roles) and returns the last answer. */
  async function signBoth(cookie: string, reportId: string, hash: string, signer: string, at: string) {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (const role of ["beneficiary", "assistant"]) {
      last = await call(cookie, "PUT", `/api/reports/${reportId}/signatures/${role}`, { signer, signedAt: at, evidence: "drawn", imageDataUrl: png, contentHash: hash });
      expect(last.status, last.text).toBe(200);
    }
    return last!;
  }

  /** Creates a draft with the visits and both signatures; returns the report id. */
  async function draftSigned(cookie: string, programmeId: string, month: string, beneficiaryCode: string, visits: ReturnType<typeof visit>[], at: string) {
    const created = await call(cookie, "POST", "/api/reports", { programmeId, month, beneficiaryCode });
    expect(created.status, created.text).toBe(201);
    const reportId = created.json.report.id as string;
    let last = created;
    for (const v of visits) {
      last = await call(cookie, "POST", `/api/reports/${reportId}/visits`, v);
      expect(last.status, last.text).toBe(201);
    }
    await signBoth(cookie, reportId, last.json.contentHash, "Asystent", at);
    return reportId;
  }

  return { mailsTo, waitForMail, linkIn, path, signIn, useSignInLink, call, visit, signBoth, draftSigned };
}

export const approvalLinkPattern = /https?:\/\/\S+\/approve\/a[0-9a-f]{24}\?sig=[A-Za-z0-9_%-]+/;
