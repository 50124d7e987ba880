/**
 * Certificates for TLS tests, made with the openssl command line in a folder of the test's: a
 * self-signed one (an upstream og-mock must refuse, or a CA), and one a CA signed (an upstream
 * og-mock trusts through NODE_EXTRA_CA_CERTS).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CertFiles {
  key: string;
  cert: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { stdio: "ignore", cwd: dir });
}

/** A self-signed certificate `<name>.pem` and its key `<name>.key` in `dir`, valid a day. */
export function selfSigned(dir: string, name: string, subject: string, subjectAltName?: string): CertFiles {
  const files = { key: join(dir, `${name}.key`), cert: join(dir, `${name}.pem`) };
  openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    subject,
    ...(subjectAltName ? ["-addext", `subjectAltName=${subjectAltName}`] : []),
    "-keyout",
    files.key,
    "-out",
    files.cert,
  ]);
  return files;
}

/** A certificate `<name>.pem` (key `<name>.key`) for `subjectAltName`, signed by `ca`, valid a day. */
export function signedBy(ca: CertFiles, dir: string, name: string, subject: string, subjectAltName: string): CertFiles {
  const files = { key: join(dir, `${name}.key`), cert: join(dir, `${name}.pem`) };
  const request = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", files.key, "-out", request]);
  writeFileSync(extensions, `subjectAltName=${subjectAltName}\n`);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    request,
    "-CA",
    ca.cert,
    "-CAkey",
    ca.key,
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    extensions,
    "-out",
    files.cert,
  ]);
  return files;
}
