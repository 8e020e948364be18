/** Diffs never show a secret: neither the current passwords.yml values nor the old ones still on the host. */
import { describe, expect, it } from "vitest";
import { redactedUnifiedDiff, secretLineMasker } from "../../../src/plan/secret-diff.js";

const names = { oldName: "node1:/etc/kolla/nova-api/nova.conf", newName: "node1:/etc/kolla/nova-api/nova.conf" };
const conf = (password: string, extra = "") =>
  `[DEFAULT]\ndebug = False\n${extra}\n[database]\nconnection = mysql+pymysql://nova:${password}@198.18.0.250:3306/nova\nmax_retries = -1\n`;

describe("redactedUnifiedDiff", () => {
  it("masks a rotated password on both sides and still shows that the line changed", () => {
    const diff = redactedUnifiedDiff(conf("OldSecret0123456789"), conf("NewSecret0123456789"), names, ["NewSecret0123456789"]);
    expect(diff).not.toContain("OldSecret");
    expect(diff).not.toContain("NewSecret");
    expect(diff).toContain("-connection = mysql+pymysql://nova:<redacted>@198.18.0.250:3306/nova\n");
    expect(diff).toContain("+connection = mysql+pymysql://nova:<redacted>@198.18.0.250:3306/nova\n");
  });

  it("masks current secrets in context lines and leaves other lines readable", () => {
    const diff = redactedUnifiedDiff(conf("Same0123456789"), conf("Same0123456789", "w6 = 1"), names, ["Same0123456789"]);
    expect(diff).not.toContain("Same0123456789");
    expect(diff).toContain("+w6 = 1\n");
    expect(diff).toContain("\n [database]\n");
  });

  it("masks every line of a private key, old or new, and the lines of a multi-line secret", () => {
    const key = (body: string) => `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const oldKey = key("b3BlbnNzaC1rZXktdjEAAAAABG9sZA\nc2VjcmV0LW9sZC1saW5lLTI");
    const newKeyBody = "b3BlbnNzaC1rZXktdjEAAAAABG5ldw\nc2VjcmV0LW5ldy1saW5lLTI";
    const diff = redactedUnifiedDiff(oldKey, key(newKeyBody), names, [key(newKeyBody).trimEnd()]);
    for (const part of [...oldKey.split("\n"), ...newKeyBody.split("\n")].filter((l) => !l.startsWith("-----") && l !== "")) {
      expect(diff).not.toContain(part);
    }
    expect(diff).toContain("-<redacted>\n");
    expect(diff).toContain("+<redacted>\n");
  });

  it("masks the lines of a CRLF private key whole (before their CRs are made visible)", () => {
    const key = (body: string) => `-----BEGIN RSA PRIVATE KEY-----\r\n${body}\r\n-----END RSA PRIVATE KEY-----\r\n`;
    const diff = redactedUnifiedDiff(key("T2xkS2V5TGluZTEyMzQ1Ng"), key("TmV3S2V5TGluZTEyMzQ1Ng"), names, []);
    expect(diff).not.toContain("S2V5TGluZTEyMzQ1Ng");
    expect(diff).toContain(" -----BEGIN RSA PRIVATE KEY-----\u240d\n-<redacted>\n+<redacted>\n");
  });

  it("is empty when the texts are equal, and a plain diff when no secret is involved", () => {
    expect(redactedUnifiedDiff("a\n", "a\n", names, ["x"])).toBe("");
    expect(redactedUnifiedDiff("a = 1\n", "a = 2\n", names, ["SecretValue123"])).toBe(
      `--- ${names.oldName}\n+++ ${names.newName}\n@@ -1,1 +1,1 @@\n-a = 1\n+a = 2\n`,
    );
  });
});

describe("secretLineMasker", () => {
  it("matches an old line by the shape of the new secret-bearing line only", () => {
    const mask = secretLineMasker("password = old-one\n", "password = NewSecret123\nuser = nova\n", ["NewSecret123"]);
    expect(mask("password = old-one")).toBe("password = <redacted>");
    expect(mask("user = nova")).toBe("user = nova");
    expect(mask("password_hint = none")).toBe("password_hint = none");
  });
});
