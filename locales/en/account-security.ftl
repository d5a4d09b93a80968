# Protecting accounts: choosing the password when confirming, notices after a reset and about a
# new e-mail address.

account-verify-choose-title = Choose your password and confirm your address
account-verify-choose-intro = An account was requested for this address more than once. So that only you can log in, choose your password now; this confirms your address.
account-verify-choose-submit = Save password and activate account

account-email-password = Current password (only for a new e-mail address)
account-email-password-missing = Please enter your current password to change the e-mail address.

mail-account-verify-again-subject = Please confirm your address and choose your password
mail-account-verify-again-intro = a RegioHub account was requested again with this address before it was confirmed. So that only whoever reads this mailbox can log in, no password chosen when registering counts: choose your password with this link, and the account is active.
mail-account-verify-again-button = Choose password
mail-account-verify-again-ignore = If you do not want an account, you can delete this e-mail; nobody can log in without this link.

mail-account-reset-done-subject = Your RegioHub password was reset
mail-account-reset-done-intro = Your password was just chosen anew with a link from an e-mail. Every session has ended, and so { $tokens ->
    [0] have your personal API tokens (you had none)
    [one] has your personal API token
   *[other] have your { $tokens } personal API tokens
}; an address change that was under way no longer applies. Create new tokens on your account page:
mail-account-reset-done-button = To your account page
mail-account-reset-done-ignore = If this was not you, reset your password yourself at once and tell your RegioHub.

mail-account-email-change-subject = A change of your RegioHub e-mail address was requested
mail-account-email-change-intro = your RegioHub account just asked to change its login to the address { $new_email }. It applies only once it is confirmed with the link sent to that new address.
mail-account-email-change-button = Reset password
mail-account-email-change-ignore = If this was not you, reset your password with the link above: that ends every session and the requested change.
