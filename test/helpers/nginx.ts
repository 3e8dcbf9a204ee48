import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import { assertIsolated } from './rtorrent';

export interface SelfSignedCertificate {
  certFile: string;
  keyFile: string;
  certPem: string;
  /** SHA-256 fingerprint, 64 lowercase hex digits. */
  sha256: string;
}

/** A fresh self-signed certificate for localhost / 127.0.0.1, made with openssl. */
export function makeSelfSignedCertificate(dir: string, name = 'server'): SelfSignedCertificate {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'pipe' });
  const fingerprint = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  const sha256 = fingerprint.split('=')[1]!.trim().replaceAll(':', '').toLowerCase();
  return { certFile, keyFile, certPem: execFileSync('cat', [certFile], { encoding: 'utf8' }), sha256 };
}

/** A real nginx in front of an SCGI Unix socket: HTTPS with basic auth, like a seedbox. */
export interface NginxFront {
  url: string;
  port: number;
  username: string;
  password: string;
  certificate: SelfSignedCertificate;
  /** Replaces the certificate and reloads nginx (for "the pinned certificate changed"). */
  rotateCertificate(): Promise<SelfSignedCertificate>;
  stop(): Promise<void>;
}

export async function startNginxScgiFront(options: { scgiSocket: string; mount?: string; username?: string; password?: string }): Promise<NginxFront> {
  assertIsolated();
  const dir = tempDir('nginx');
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const mount = options.mount ?? '/RPC2';
  const username = options.username ?? 'seeder';
  const password = options.password ?? 'pa:ss wörd';
  const hash = execFileSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'htpasswd'), `${username}:${hash}\n`);
  let certificate = makeSelfSignedCertificate(dir, 'cert-1');
  let generation = 1;
  const writeConfig = (): void => {
    writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
${process.getuid?.() === 0 ? 'user root;  # workers must reach the test\'s private (0700) socket directory' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certificate.certFile};
    ssl_certificate_key ${certificate.keyFile};
    location ${mount} {
      auth_basic "seedbox";
      auth_basic_user_file ${dir}/htpasswd;
      include /etc/nginx/scgi_params;
      scgi_pass unix:${options.scgiSocket};
    }
  }
}
`);
  };
  writeConfig();
  const daemon = Daemon.start('nginx', 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')]);
  await waitFor(`nginx on port ${port}`, () => (daemon.running ? canConnect({ port }) : Promise.reject(new Error(daemon.describe()))));
  return {
    url: `https://127.0.0.1:${port}${mount}`,
    port,
    username,
    password,
    get certificate() {
      return certificate;
    },
    async rotateCertificate() {
      generation += 1;
      certificate = makeSelfSignedCertificate(dir, `cert-${generation}`);
      writeConfig();
      daemon.child.kill('SIGHUP');
      // nginx re-reads its config on SIGHUP; wait until new connections see the new cert.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return certificate;
    },
    async stop() {
      await daemon.stop('SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
