// PostGraphile 5.1.5 over Yurong's PostgreSQL store, for the side-by-side of
// issue 16 (see README.md). It serves the tables Yurong's migrations made,
// as they are, in schema public: no views, no copy.
//
//   DATABASE_URL  the database Yurong filled (default yurong_pg_bench)
//   PORT          listen port (default 5678)
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const connectionString =
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/yurong_pg_bench?sslmode=disable";

// The pluralize library singularizes "enterprises" to "enterpris": the
// table's type would be Enterpris and the field by id enterpris(rowId:).
/** @type {GraphileConfig.Plugin} */
const SingularEnterprisePlugin = {
  name: "SingularEnterprisePlugin",
  version: "0.0.0",
  inflection: {
    replace: {
      singularize(previous, _options, str) {
        return /enterprises$/i.test(str) ? str.slice(0, -1) : previous(str);
      },
    },
  },
};

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [
    PostGraphileAmberPreset,
    // enterprises, enterprise(rowId:), FinancialProduct.provider: plain names
    PgSimplifyInflectionPreset,
    // filter: {city: {in: [...]}}, the counterpart of Yurong's cities: [...]
    PostGraphileConnectionFilterPreset,
  ],
  plugins: [SingularEnterprisePlugin],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      // node-postgres pool per worker process (its default is 10 too)
      poolConfig: { max: 10 },
    }),
  ],
  schema: {
    // Read-only: the comparison is about reads; no mutations in the schema.
    defaultBehavior: "-insert -update -delete",
    // Only the operators the benchmark's filters use, as Yurong's filters
    // are lists of values.
    connectionFilterAllowedOperators: ["equalTo", "in"],
    connectionFilterRelations: false,
  },
  grafserv: {
    port: Number(process.env.PORT ?? 5678),
    host: "127.0.0.1",
    graphiql: false,
    watch: false,
  },
  grafast: {
    explain: false,
  },
};

export default preset;
