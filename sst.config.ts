import type { SSTConfig } from "sst";
import { Storage } from "./stacks/Storage.js";
import { Email } from "./stacks/Email.js";
import { Workflow } from "./stacks/Workflow.js";
import { Api } from "./stacks/Api.js";
import { Monitoring } from "./stacks/Monitoring.js";
import { Web } from "./stacks/Web.js";
import { Edge } from "./stacks/Edge.js";
import { boundHelperLogs } from "./stacks/log-retention.js";
import { tagHandlers } from "./stacks/handler-metadata.js";
import { suppressAcceptedFindings } from "./stacks/nag.js";
import { nodejsBundling } from "./stacks/bundling.js";
import { observabilityEnvironment } from "./stacks/observability.js";

export default {
  config(input) {
    return {
      name: "karta",
      // eu-central-1 is Frankfurt, inside the EU (eu-central-2 is Zürich, outside it).
      region: input.region ?? "eu-central-1",
    };
  },
  async stacks(app) {
    // `npx sst deploy --stage prod` first checks the account's Lambda concurrency and SES quota
    // and stops below the minimums (scripts/preflight.ts); the quota it reads sets the SES
    // quota alarm unless KARTA_SES_DAILY_QUOTA says otherwise. Offline syntheses never ask AWS.
    if (app.mode === "deploy" && app.stage === "prod" && process.argv.slice(2).includes("deploy") && app.region !== "us-east-1") {
      const { preflight } = await import("./scripts/preflight.js");
      const figures = await preflight(app.region);
      process.env.KARTA_SES_DAILY_QUOTA ??= String(figures.sesMax24HourSend);
    }
    // CloudFront's WAF web ACL and certificate live in us-east-1; SST deploys a run's stacks into
    // one region, so that region's run is the edge stack alone (stacks/Edge.ts, docs/deploy.md).
    if (app.region === "us-east-1") {
      app.stack(Edge);
      boundHelperLogs(app);
      suppressAcceptedFindings(app);
      return;
    }
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: 512,
      timeout: 30,
      tracing: "active",
      // Powertools' service, metrics namespace and log level (stacks/observability.ts).
      environment: observabilityEnvironment,
      // ESM, minified, the AWS SDK left to the runtime (stacks/bundling.ts).
      nodejs: nodejsBundling,
      // Logs may hold identifiers of people: keep them bounded (DOMAIN.md, data protection).
      logRetention: "six_months",
    });
    app.stack(Storage).stack(Email).stack(Workflow).stack(Api).stack(Monitoring);
    // The local stack serves web/dist itself; deployable stages ship it as a StaticSite.
    if (app.stage !== "local") app.stack(Web);
    tagHandlers(app);
    // Log groups of CDK's and SST's helper functions get the same retention (stacks/log-retention.ts).
    boundHelperLogs(app);
    suppressAcceptedFindings(app);
  },
} satisfies SSTConfig;
