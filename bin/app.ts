import { App } from "aws-cdk-lib";
import { buildCells } from "../lib/ofisi-app";

// Context (cells, mailFrom, appUrl, vpc, ...) comes from cdk.json and `-c key=value`.
const app = new App();
buildCells(app);
app.synth();
