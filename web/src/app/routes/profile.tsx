import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title";
import { Profile } from "../../features/profile/components/profile";

export function ProfileRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("profile.title")} />
      <h1>{t("profile.title")}</h1>
      <Profile />
    </>
  );
}
