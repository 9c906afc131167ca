import { StackContext } from "sst/constructs";
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from "aws-cdk-lib/aws-ses";
import { stageConfig } from "./config.js";

export function Email({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const configurationSet = new ConfigurationSet(stack, "Sending", {
    // Bounced or complaining addresses are suppressed so reminders stop reaching dead inboxes.
    suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  const identity = new EmailIdentity(stack, "Domain", {
    identity: Identity.domain(config.mailDomain),
    configurationSet,
  });
  return { configurationSet, identity, mailFrom: config.mailFrom, mailDomain: config.mailDomain };
}
