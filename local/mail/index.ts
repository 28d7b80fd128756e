export { addressOf, startLocalMailbox, type LocalMailbox, type MailItem, type MailQuery, type MailboxLogger } from "./mailbox";
