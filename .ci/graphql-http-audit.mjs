import { auditServer } from 'graphql-http';
// The graphql-http audit of a running server (npm install graphql-http graphql):
//   node .ci/graphql-http-audit.mjs http://127.0.0.1:8080/graphql
// TestRequestErrorsFollowGraphQLOverHTTP keeps its SHOULDs in Go.
const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
const results = await auditServer({ url });
let must = 0, should = 0;
for (const r of results) {
  if (r.status === 'error') { must++; console.log('MUST', r.name, r.reason); }
  if (r.status === 'warn') { should++; console.log('SHOULD', r.name, r.reason); }
}
console.log(`${results.length} checks: ${must} MUST failures, ${should} SHOULD warnings`);
process.exit(results.some((r) => r.status !== 'ok') ? 1 : 0);
