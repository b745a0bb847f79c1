// A minimal SSH bastion for the proxy tests: password login, and direct-tcpip forwarding to
// 127.0.0.1 only (what connection.proxy asks of a jump host).

import { connect, type AddressInfo } from "node:net";
import { Server, utils } from "ssh2";
import { generateParsableEd25519Key } from "lync-server-emulator/dist/emulatorState";

export interface Bastion {
  readonly port: number;
  readonly hostKey: string;
  /** Forwarded connections so far. */
  readonly forwards: number;
  /** SSH clients connected now. */
  readonly clients: number;
  stop(): Promise<void>;
}

export async function startBastion(user: string, password: string): Promise<Bastion> {
  const key = generateParsableEd25519Key();
  let forwards = 0;
  let clients = 0;
  const server = new Server({ hostKeys: [key.private] }, (client) => {
    clients++;
    client.on("close", () => clients--);
    client.on("authentication", (ctx) => {
      if (ctx.method === "password" && ctx.username === user && ctx.password === password) ctx.accept();
      else ctx.reject(["password"]);
    });
    client.on("ready", () => {
      client.on("tcpip", (accept, reject, info) => {
        if (info.destIP !== "127.0.0.1") return reject();
        const socket = connect(info.destPort, info.destIP, () => {
          forwards++;
          const channel = accept();
          channel.pipe(socket).pipe(channel);
        });
        socket.on("error", () => reject());
      });
    });
    client.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const parsed = utils.parseKey(key.public);
  const publicKey = Array.isArray(parsed) ? parsed[0] : parsed;
  if (publicKey instanceof Error) throw publicKey;
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: `${publicKey.type} ${publicKey.getPublicSSH().toString("base64")}`,
    get forwards() {
      return forwards;
    },
    get clients() {
      return clients;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
