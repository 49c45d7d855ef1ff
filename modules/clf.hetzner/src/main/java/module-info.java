/** Hetzner Cloud API client and simulator (arrives with the cattle lifecycle). */
module clf.hetzner {
}
