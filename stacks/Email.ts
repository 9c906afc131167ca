import { Function, StackContext, use } from "sst/constructs";
import { CfnOutput, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from "aws-cdk-lib/aws-ses";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, LambdaSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Key } from "aws-cdk-lib/aws-kms";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { stageConfig } from "./config.js";
import { Storage } from "./Storage.js";
import { tableStatements, workflowAccess } from "./permissions.js";

/**
 * The sending identity (a domain verified with DKIM) and the configuration set every e-mail goes
 * through: it suppresses bounced and complaining addresses and publishes bounces, complaints and
 * rejections to an encrypted topic the operators are subscribed to, and a function subscribed to
 * the same topic marks the people and outbox records concerned (functions/workflow/mail-events.ts).
 */
export function Email({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const { table, key } = use(Storage);

  // One key for the operators' notification topics (mail events here, alarms in Monitoring):
  // SES and CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key.
  const notificationKey = new Key(stack, "NotificationKey", {
    description: "Karta operator notifications (SES mail events, CloudWatch alarms)",
    enableKeyRotation: true,
    removalPolicy: config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  for (const service of ["ses.amazonaws.com", "cloudwatch.amazonaws.com"]) {
    notificationKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(service)],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(stack).account } },
      }),
    );
  }

  const mailEvents = new Topic(stack, "MailEvents", {
    displayName: "Karta: bounced, complained and rejected e-mails",
    masterKey: notificationKey,
    enforceSSL: true,
  });
  for (const address of config.operatorsEmails) mailEvents.addSubscription(new EmailSubscription(address));
  // SES's events, read by Karta: the person's address is marked, the e-mail's outbox record says bounced.
  const mailEventsAccess = workflowAccess["mail-events"];
  const mailEventHandler = new Function(stack, "MailEventHandler", {
    handler: "functions/workflow/mail-events.handler",
    environment: { TABLE_NAME: table.tableName },
    permissions: tableStatements(mailEventsAccess.table, table.cdk.table, key),
  });
  mailEvents.addSubscription(new LambdaSubscription(mailEventHandler));

  const configurationSet = new ConfigurationSet(stack, "Sending", {
    // Bounced or complaining addresses are suppressed so reminders stop reaching dead inboxes.
    suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  configurationSet.addEventDestination("BouncesAndComplaints", {
    destination: EventDestination.snsTopic(mailEvents),
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
  });

  const identity = new EmailIdentity(stack, "Domain", {
    identity: Identity.domain(config.mailDomain),
    configurationSet,
  });
  // The three CNAME records that verify the domain (DKIM); docs/deploy.md shows where to put them.
  [identity.dkimDnsTokenName1, identity.dkimDnsTokenName2, identity.dkimDnsTokenName3].forEach((name, i) => {
    const value = [identity.dkimDnsTokenValue1, identity.dkimDnsTokenValue2, identity.dkimDnsTokenValue3][i];
    new CfnOutput(stack, `DkimRecord${i + 1}`, { value: `${name} CNAME ${value}` });
  });

  new CfnOutput(stack, "MailEventsTopicArn", { value: mailEvents.topicArn });
  new CfnOutput(stack, "ConfigurationSetName", { value: configurationSet.configurationSetName });

  const configurationSetArn = `arn:${stack.partition}:ses:${stack.region}:${stack.account}:configuration-set/${configurationSet.configurationSetName}`;
  /**
   * SES SendEmail from this identity through this configuration set, nothing else; and GetAccount,
   * whose send quota the sender paces itself to (it names no resource: IAM allows only "*").
   */
  const sendEmail = () => [
    new PolicyStatement({
      actions: ["ses:SendEmail"],
      resources: [
        identity.emailIdentityArn,
        configurationSetArn,
        // The SES sandbox also authorises each (verified) recipient: allow that outside production only.
        ...(config.protect ? [] : [`arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/*`]),
      ],
    }),
    new PolicyStatement({ actions: ["ses:GetAccount"], resources: ["*"] }),
  ];

  return {
    configurationSet,
    identity,
    mailEvents,
    mailEventHandler,
    notificationKey,
    sendEmail,
    mailFrom: config.mailFrom,
    mailDomain: config.mailDomain,
  };
}
