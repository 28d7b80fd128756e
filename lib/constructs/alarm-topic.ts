import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

/** The cell's operations topic: every alarm notifies it; an operator's mailbox may subscribe. */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { readonly cellName: string; readonly alarmEmail?: string }) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", {
      displayName: `Ofisi Mtandao alarms (${props.cellName})`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
  }
}
