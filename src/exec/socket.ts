/** Opening the TCP connection an SSH session runs over, with its own share of the connect deadline. */
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import type { DeployError } from "../errors.js";
import * as fail from "./failures.js";

/** Opens a byte stream to address:port; tests substitute one to cut a connection on purpose. */
export type SocketOpener = (endpoint: fail.Endpoint, timeoutMs: number) => Promise<Duplex>;

export const openTcpSocket: SocketOpener = (endpoint, timeoutMs) =>
  new Promise<Duplex>((resolve, reject) => {
    const socket = connect({ host: endpoint.address, port: endpoint.port });
    const done = (error: DeployError | undefined): void => {
      clearTimeout(timer);
      socket.removeAllListeners("connect");
      socket.removeAllListeners("error");
      if (error === undefined) {
        socket.setNoDelay(true);
        return resolve(socket);
      }
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => done(fail.connectTimeout(endpoint, timeoutMs)), timeoutMs);
    socket.once("connect", () => done(undefined));
    socket.once("error", (error: Error) => done(fail.connectFailure(endpoint, error)));
  });
