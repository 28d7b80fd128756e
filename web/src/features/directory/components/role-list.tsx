import { useTranslation } from "react-i18next";
import type { Role } from "../../../lib/roles";

/** A user's roles by their names in the user's language. */
export function RoleList({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  if (roles.length === 0) return <span className="muted">{t("roles.none")}</span>;
  return (
    <ul className="tags">
      {roles.map((role) => (
        <li key={role} className="tag">
          {t(`roles.${role}`)}
        </li>
      ))}
    </ul>
  );
}
