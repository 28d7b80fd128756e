import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams, useSearchParams } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import "../../styles/records.css";
import { hasRole, useMe } from "../../features/auth/api/me";
import { boxSchema, letterRegistrarRoles } from "../../features/letters/api/schemas";
import { BoxTabs, LetterBox } from "../../features/letters/components/inbox";
import { LetterPage } from "../../features/letters/components/letter-page";
import { RegisterLetterForm } from "../../features/letters/components/register-letter-form";
import { paths } from "../paths";

export function InboxRoute() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [params] = useSearchParams();
  const parsed = boxSchema.safeParse(params.get("box"));
  const box = parsed.success ? parsed.data : "for-action";
  const mayRegister = letterRegistrarRoles.some((role) => hasRole(me, role));
  return (
    <>
      <PageTitle title={`${t(`letters.boxes.${box}`)} · ${t("letters.title")}`} />
      <div className="toolbar">
        <h1>{t("letters.title")}</h1>
        {mayRegister && (
          <Link className="button" to={paths.registerLetter}>
            {t("nav.registerLetter")}
          </Link>
        )}
      </div>
      <BoxTabs current={box} hrefOf={(one) => `${paths.letters}?box=${one}`} />
      <LetterBox key={box} box={box} />
    </>
  );
}

export function RegisterLetterRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("letters.form.title")} />
      <h1>{t("letters.form.title")}</h1>
      <p className="lead">{t("letters.form.intro")}</p>
      <RegisterLetterForm />
    </>
  );
}

function registeredReference(state: unknown): string | undefined {
  if (state === null || typeof state !== "object" || !("registered" in state)) return undefined;
  return typeof state.registered === "string" ? state.registered : undefined;
}

export function LetterRoute() {
  const { id = "" } = useParams();
  const location = useLocation();
  return <LetterPage key={id} id={id} registered={registeredReference(location.state)} />;
}
