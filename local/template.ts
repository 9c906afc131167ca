import type { Template } from "./synth.js";
import type { TableProperties } from "./dynamo.js";

const REGION = "eu-central-1";
const ACCOUNT = "000000000000";

export interface LocalFunction {
  logicalId: string;
  arn: string;
  /** Source handler, e.g. "functions/api/health.handler" (template metadata "karta:handler"). */
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}
export interface LocalStateMachine {
  logicalId: string;
  arn: string;
  name: string;
  definition: any;
}
export interface LocalRoute {
  method: string;
  path: string;
  functionArn: string;
}
export interface LocalSchedule {
  logicalId: string;
  expression: string;
  timezone: string;
  targetArn: string;
  input: string;
}
export interface LocalTable {
  logicalId: string;
  tableName: string;
  properties: TableProperties;
}
export interface LocalBucket {
  logicalId: string;
  bucketName: string;
}
/** An SNS subscription (protocol "lambda": endpoint is a function ARN; "email" and others are not delivered locally). */
export interface LocalSubscription {
  topicArn: string;
  protocol: string;
  endpoint: string;
}
/** Where a SES configuration set publishes its e-mails' events (an SNS destination), and which ones (bounce, complaint, …). */
export interface LocalMailEventDestination {
  configurationSetName: string;
  topicArn: string;
  events: string[];
}
export interface LocalApp {
  functions: LocalFunction[];
  stateMachines: LocalStateMachine[];
  routes: LocalRoute[];
  schedules: LocalSchedule[];
  tables: LocalTable[];
  buckets: LocalBucket[];
  subscriptions: LocalSubscription[];
  mailEventDestinations: LocalMailEventDestination[];
}

/**
 * Reads the synthesised CloudFormation templates into the local wiring: which functions exist
 * and what source they run, the state machines' plain ASL, the API routes, the schedules, the
 * table and the buckets. Intrinsic functions are resolved to local names and placeholder ARNs.
 */
export function readTemplates(templates: Record<string, Template>, stage: string): LocalApp {
  const exportsByName = new Map<string, { stack: string; value: unknown }>();
  for (const [stack, template] of Object.entries(templates)) {
    for (const output of Object.values<any>(template.Outputs ?? {})) {
      const name = output.Export?.Name;
      if (typeof name === "string") exportsByName.set(name, { stack, value: output.Value });
    }
  }

  const physical = (stack: string, logicalId: string): { ref: string; arn: string } => {
    const resource = templates[stack]?.Resources[logicalId];
    if (!resource) throw new Error(`Template ${stack} has no resource ${logicalId}`);
    switch (resource.Type) {
      case "AWS::Lambda::Function":
        return { ref: logicalId, arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}` };
      case "AWS::StepFunctions::StateMachine": {
        const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
        return { ref: arn, arn };
      }
      case "AWS::DynamoDB::Table": {
        const name = `karta-${stage}-${logicalId}`;
        return { ref: name, arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` };
      }
      case "AWS::S3::Bucket": {
        // Bucket names are lower case (the emulation, like S3, refuses others).
        const name = `karta-${stage}-${logicalId}`.toLowerCase();
        return { ref: name, arn: `arn:aws:s3:::${name}` };
      }
      case "AWS::SNS::Topic": {
        // A topic's Ref is its ARN.
        const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:karta-${stage}-${logicalId}`;
        return { ref: arn, arn };
      }
      default: {
        const name = `karta-${stage}-${logicalId}`;
        return { ref: name, arn: `arn:aws:local:${REGION}:${ACCOUNT}:${logicalId}` };
      }
    }
  };

  const resolve = (stack: string, value: any): any => {
    if (Array.isArray(value)) return value.map((v) => resolve(stack, v));
    if (value === null || typeof value !== "object") return value;
    if ("Ref" in value) {
      const ref = value.Ref as string;
      if (ref === "AWS::Partition") return "aws";
      if (ref === "AWS::Region") return REGION;
      if (ref === "AWS::AccountId") return ACCOUNT;
      if (ref === "AWS::URLSuffix") return "amazonaws.com";
      if (ref === "AWS::StackName") return stack;
      return physical(stack, ref).ref;
    }
    if ("Fn::GetAtt" in value) {
      const [logicalId, attribute] = value["Fn::GetAtt"] as [string, string];
      const target = physical(stack, logicalId);
      return attribute === "Arn" ? target.arn : target.ref;
    }
    if ("Fn::Join" in value) {
      const [separator, parts] = value["Fn::Join"] as [string, unknown[]];
      return parts.map((p) => resolve(stack, p)).join(separator);
    }
    if ("Fn::ImportValue" in value) {
      const name = resolve(stack, value["Fn::ImportValue"]);
      const exported = exportsByName.get(name);
      if (!exported) throw new Error(`No export named ${name}`);
      return resolve(exported.stack, exported.value);
    }
    if ("Fn::Select" in value) {
      const [index, list] = value["Fn::Select"];
      return resolve(stack, list)[Number(index)];
    }
    if ("Fn::Split" in value) {
      const [separator, source] = value["Fn::Split"];
      return String(resolve(stack, source)).split(separator);
    }
    if ("Fn::Sub" in value) {
      const source = value["Fn::Sub"];
      const [text, vars] = Array.isArray(source) ? source : [source, {}];
      return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (name in vars) return resolve(stack, vars[name]);
        const [id, attr] = name.split(".");
        return attr ? resolve(stack, { "Fn::GetAtt": [id, attr] }) : resolve(stack, { Ref: id });
      });
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(stack, v)]));
  };

  const app: LocalApp = { functions: [], stateMachines: [], routes: [], schedules: [], tables: [], buckets: [], subscriptions: [], mailEventDestinations: [] };
  for (const [stack, template] of Object.entries(templates)) {
    const integrations = new Map<string, string>();
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const props = resource.Properties ?? {};
      switch (resource.Type) {
        case "AWS::Lambda::Function": {
          const handler = resource.Metadata?.["karta:handler"];
          if (typeof handler !== "string") break; // SST's own custom-resource helpers
          app.functions.push({
            logicalId,
            arn: physical(stack, logicalId).arn,
            handler,
            environment: resolve(stack, props.Environment?.Variables ?? {}),
            timeoutSeconds: props.Timeout ?? 3,
          });
          break;
        }
        case "AWS::StepFunctions::StateMachine":
          app.stateMachines.push({
            logicalId,
            arn: physical(stack, logicalId).arn,
            name: logicalId,
            definition: JSON.parse(resolve(stack, props.DefinitionString)),
          });
          break;
        case "AWS::ApiGatewayV2::Integration":
          integrations.set(logicalId, resolve(stack, props.IntegrationUri));
          break;
        case "AWS::Scheduler::Schedule":
          app.schedules.push({
            logicalId,
            expression: props.ScheduleExpression,
            timezone: props.ScheduleExpressionTimezone ?? "UTC",
            targetArn: resolve(stack, props.Target.Arn),
            input: resolve(stack, props.Target.Input ?? "{}"),
          });
          break;
        case "AWS::DynamoDB::Table":
          app.tables.push({ logicalId, tableName: physical(stack, logicalId).ref, properties: props });
          break;
        case "AWS::S3::Bucket":
          app.buckets.push({ logicalId, bucketName: physical(stack, logicalId).ref });
          break;
        case "AWS::SNS::Subscription":
          app.subscriptions.push({ topicArn: resolve(stack, props.TopicArn), protocol: props.Protocol, endpoint: resolve(stack, props.Endpoint) });
          break;
        case "AWS::SES::ConfigurationSetEventDestination": {
          const destination = props.EventDestination ?? {};
          if (destination.Enabled === false || !destination.SnsDestination) break;
          app.mailEventDestinations.push({
            configurationSetName: resolve(stack, props.ConfigurationSetName),
            topicArn: resolve(stack, destination.SnsDestination.TopicARN),
            events: (destination.MatchingEventTypes ?? []).map((e: string) => e.toLowerCase()),
          });
          break;
        }
      }
    }
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== "AWS::ApiGatewayV2::Route") continue;
      const [method, path] = String(resource.Properties.RouteKey).split(" ");
      const target = resolve(stack, resource.Properties.Target) as string;
      const functionArn = integrations.get(target.replace(/^integrations\//, "").replace(/^karta-[^-]+-/, ""));
      if (!functionArn) throw new Error(`Route ${resource.Properties.RouteKey} has no Lambda integration`);
      app.routes.push({ method, path, functionArn });
    }
  }
  return app;
}
