import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title";
import { Mailbox } from "../../features/mailbox/components/mailbox";

export function MailboxRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("mailbox.title")} />
      <h1>{t("mailbox.title")}</h1>
      <p className="lead">{t("mailbox.intro")}</p>
      <Mailbox />
    </>
  );
}
