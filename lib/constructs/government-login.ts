import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { UserPoolClient } from "aws-cdk-lib/aws-cognito";
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  UserPoolEmail,
  UserPoolOperation,
} from "aws-cdk-lib/aws-cognito";
import { PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export interface GovernmentLoginProps {
  /** SES sender of the one-time codes (the cell's verified identity). */
  readonly fromEmail: string;
  /** The verified SES domain of `fromEmail`, when the identity is a domain. */
  readonly sesVerifiedDomain?: string;
  /** Admits only email addresses of agency-owned domains (functions/identity/pre-sign-up.ts). */
  readonly preSignUp: IFunction;
  readonly deletionProtection: boolean;
}

/**
 * Login with the official government email and a one-time code (DESIGN.md section 7): a Cognito
 * user pool whose only first factor in use is `EMAIL_OTP` through the `USER_AUTH` flow, a client
 * with no secret for the auth routes, and the pre-sign-up trigger that keeps outside addresses out.
 * No self sign-up: the auth routes create a directory user's Cognito user on first sign-in.
 * Codes expire with the 10-minute auth session.
 */
export class GovernmentLogin extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: GovernmentLoginProps) {
    super(scope, id);
    this.userPool = new UserPool(this, "UserPool", {
      featurePlan: FeaturePlan.ESSENTIALS,
      // Users are created by the auth routes for directory users only (AdminCreateUser): with public
      // SignUp, anyone holding the client id could register a colleague's address with a password.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      // Cognito requires password as an allowed factor; accounts get no usable password, so codes are the way in.
      signInPolicy: { allowedFirstAuthFactors: { password: true, emailOtp: true } },
      mfa: Mfa.OFF,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      // No password reset by mail: passwords are not a way in here, the email code is.
      accountRecovery: AccountRecovery.NONE,
      email: UserPoolEmail.withSES({
        fromEmail: props.fromEmail,
        sesVerifiedDomain: props.sesVerifiedDomain,
        sesRegion: Stack.of(this).region,
      }),
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_SIGN_UP, props.preSignUp);

    this.client = this.userPool.addClient("AuthRoutes", {
      generateSecret: false,
      authFlows: { user: true },
      preventUserExistenceErrors: true,
      authSessionValidity: Duration.minutes(10),
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
    });
  }

  /** The variables `functions/platform/auth.ts` reads to verify Cognito tokens and start sign-ins. */
  environment(): Record<string, string> {
    return {
      AUTH_PROVIDER: "cognito",
      COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.client.userPoolClientId,
    };
  }

  /**
   * The auth routes look a user up in the pool before sending a code, and create a missing one
   * (AdminCreateUser, then AdminSetUserPassword with a random password to confirm it).
   * InitiateAuth and RespondToAuthChallenge are public client calls and need no grant.
   */
  grantSignIn(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["cognito-idp:AdminGetUser", "cognito-idp:AdminCreateUser", "cognito-idp:AdminSetUserPassword"],
        resources: [this.userPool.userPoolArn],
      }),
    );
  }
}
