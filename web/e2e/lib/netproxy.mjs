// A TCP forwarder between one browser context and a hub: the "network cable"
// of a member, which the chat test unplugs.
//
// Why not only context.setOffline(true)? In Chromium it emulates offline
// through DevTools (Network.emulateNetworkConditions): new requests fail, but
// a WebSocket that is already open stays OPEN (readyState 1, no close event;
// checked with Chromium 156), so the page never learns that it is cut off.
// Unplugging this forwarder ends every TCP connection for real (a reset, as
// when a network drops), so the browser sees a close without a close frame
// (1006) and the hub sees the connection end. New connections are reset
// until the cable is plugged back in. The test also calls setOffline, so that
// navigator.onLine and the online/offline events match, as they would when a
// laptop loses its network.
import net from 'node:net';

/**
 * Starts a forwarder on a free loopback port to the hub at `target`
 * (http://host:port). Returns { url, unplug(), plug(), close(), connections }.
 * Pages opened at `url` talk to that hub; Host and Origin are the
 * forwarder's, consistently, as behind any TCP load balancer.
 */
export async function startForwarder(target) {
  const { hostname, port } = new URL(target);
  const pairs = new Set();
  let plugged = true;
  let accepted = 0;

  const server = net.createServer((client) => {
    if (!plugged) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(Number(port), hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    /** Connections accepted so far (each HTTP keep-alive or WebSocket). */
    get accepted() { return accepted; },
    /** Open connections right now. */
    get open() { return pairs.size; },
    /** Drops every connection with a TCP reset and refuses new ones. */
    unplug() {
      plugged = false;
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    /** Accepts connections again. */
    plug() {
      plugged = true;
    },
    async close() {
      this.unplug();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
