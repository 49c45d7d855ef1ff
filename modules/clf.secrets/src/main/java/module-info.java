/** One-time bootstrap tokens and secret values for cattle (arrives with the cattle lifecycle). */
module clf.secrets {
}
