import type { Template } from "aws-cdk-lib/assertions";
import { TABLES } from "../../../functions/store/tables";
import { resourcesOfType } from "./synth";

interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
}

/** What a function's role may (`allowed`) and may never (`denied`) do on the Audit table. */
export interface AuditAccess {
  readonly allowed: string[];
  readonly denied: string[];
}

const onAudit = (statement: Statement) => JSON.stringify(statement.Resource).includes(`Tables${TABLES.audit.name}`);

/** The Audit table access of every application function of a template, by the function's logical id. */
export function auditAccessByFunction(template: Template): Map<string, AuditAccess> {
  const policies = Object.values(resourcesOfType(template, "AWS::IAM::Policy"));
  const access = new Map<string, AuditAccess>();
  for (const [id, fn] of Object.entries(resourcesOfType(template, "AWS::Lambda::Function"))) {
    const env = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    // Custom-resource providers of the CDK are not ours.
    if (env?.OFISI_RUNTIME !== "cloud") continue;
    const roleId = (fn.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const statements = policies
      .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`))
      .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter(onAudit);
    const actionsWith = (effect: string) =>
      statements.filter((s) => (s.Effect ?? "Allow") === effect).flatMap((s) => [s.Action].flat());
    access.set(id, { allowed: actionsWith("Allow"), denied: actionsWith("Deny") });
  }
  return access;
}
