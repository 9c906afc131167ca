import { StackContext, StaticSite, use } from "sst/constructs";
import { Api } from "./Api.js";

export function Web({ stack }: StackContext) {
  const { api } = use(Api);
  const site = new StaticSite(stack, "Site", {
    path: "web",
    buildCommand: "npm run build",
    buildOutput: "dist",
    environment: { VITE_API_URL: api.url },
  });
  stack.addOutputs({ SiteUrl: site.url ?? "" });
  return { site };
}
