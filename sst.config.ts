import type { SSTConfig } from "sst";
import { Storage } from "./stacks/Storage.js";
import { Email } from "./stacks/Email.js";
import { Workflow } from "./stacks/Workflow.js";
import { Api } from "./stacks/Api.js";
import { Monitoring } from "./stacks/Monitoring.js";
import { Web } from "./stacks/Web.js";
import { tagHandlers } from "./stacks/handler-metadata.js";
import { suppressAcceptedFindings } from "./stacks/nag.js";
import { nodejsBundling } from "./stacks/bundling.js";

export default {
  config(input) {
    return {
      name: "karta",
      // eu-central-1 is Frankfurt, inside the EU (eu-central-2 is Zürich, outside it).
      region: input.region ?? "eu-central-1",
    };
  },
  stacks(app) {
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: 512,
      timeout: 30,
      tracing: "active",
      // ESM, minified, the AWS SDK left to the runtime (stacks/bundling.ts).
      nodejs: nodejsBundling,
      // Logs may hold identifiers of people: keep them bounded (DOMAIN.md, data protection).
      logRetention: "six_months",
    });
    app.stack(Storage).stack(Email).stack(Workflow).stack(Api).stack(Monitoring);
    // The local stack serves web/dist itself; deployable stages ship it as a StaticSite.
    if (app.stage !== "local") app.stack(Web);
    tagHandlers(app);
    suppressAcceptedFindings(app);
  },
} satisfies SSTConfig;
