import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One structured logger per process. Log keys (`agencyId`, `letterId`, ...), never secrets,
 * one-time codes or whole tokens.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "ofisi-mtandao",
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? "INFO") as "INFO",
});
