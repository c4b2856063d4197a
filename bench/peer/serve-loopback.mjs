// Starts Portkey AI Gateway exactly as its own bin (build/start-server.js) does, on loopback only.
// That script hands @hono/node-server a port and no hostname, so Node would listen on every
// interface; an open proxy on the network for the length of a benchmark is not acceptable.
// Usage: node serve-loopback.mjs --port=<port> --headless
import http from 'node:http';

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, hostname, ...rest) {
  if (typeof port === 'number' && hostname === undefined) {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.call(this, port, hostname, ...rest);
};

await import('@portkey-ai/gateway/build/start-server.js');
