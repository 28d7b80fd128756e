import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { RestApi } from "aws-cdk-lib/aws-apigateway";
import { Construct } from "constructs";

const PERIOD = Duration.minutes(5);

/**
 * Alarms that page the operations topic (DESIGN.md section 7): function errors and throttles,
 * failed, timed-out or aborted workflow executions, and server errors of the API.
 */
export class OperationalAlarms extends Construct {
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: { readonly topic: ITopic }) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
  }

  watchFunction(id: string, fn: IFunction): void {
    this.alarm(`${id}Errors`, fn.metricErrors({ period: PERIOD }), `Lambda ${id} reported errors`);
    this.alarm(`${id}Throttles`, fn.metricThrottles({ period: PERIOD }), `Lambda ${id} was throttled`);
  }

  watchStateMachine(id: string, stateMachine: IStateMachine): void {
    this.alarm(`${id}ExecutionsFailed`, stateMachine.metricFailed({ period: PERIOD }), `${id} executions failed`);
    this.alarm(`${id}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: PERIOD }), `${id} executions timed out`);
    this.alarm(`${id}ExecutionsAborted`, stateMachine.metricAborted({ period: PERIOD }), `${id} executions were aborted`);
  }

  watchApi(id: string, api: RestApi): void {
    this.alarm(`${id}ServerErrors`, api.metricServerError({ period: PERIOD }), `API ${id} answered 5XX`);
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }
}
