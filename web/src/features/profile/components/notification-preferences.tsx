import { useTranslation } from "react-i18next";
import { ErrorAlert, FieldSet, SuccessNote } from "../../../components/form";
import { optionalNoticeKinds, useNotificationPreferences, useUpdateNotificationPreference } from "../api/notifications";

/** Emails the user may turn off; overdue reminders and escalations are named as always on. */
export function NotificationPreferences() {
  const { t } = useTranslation();
  const preferences = useNotificationPreferences();
  const update = useUpdateNotificationPreference();

  return (
    <section aria-labelledby="profile-notifications-heading">
      <h2 id="profile-notifications-heading">{t("profile.notificationsTitle")}</h2>
      {preferences.isPending && (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      )}
      {preferences.isError && <ErrorAlert error={preferences.error} />}
      {preferences.isSuccess && (
        <FieldSet id="profile-notifications" legend={t("profile.notificationsLegend")}>
          {optionalNoticeKinds.map((kind) => (
            <label key={kind} className="choice">
              <input
                type="checkbox"
                name={`notify-${kind}`}
                checked={preferences.data.notifications[kind]}
                disabled={update.isPending}
                onChange={(event) => update.mutate({ [kind]: event.target.checked })}
              />
              {t(`profile.notice.${kind}`)}
            </label>
          ))}
        </FieldSet>
      )}
      <p className="muted">{t("profile.notificationsEssential")}</p>
      {update.isSuccess && <SuccessNote>{t("profile.notificationsSaved")}</SuccessNote>}
      {update.isError && <ErrorAlert error={update.error} />}
    </section>
  );
}
