-- wrk: POST the plain rating form, as a phone without JavaScript does.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "level=4&tags=speed&tags=attitude&comment=%E8%BE%A6%E5%BE%97%E5%BE%88%E5%BF%AB&ticket="
