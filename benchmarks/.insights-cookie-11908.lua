wrk.headers["Cookie"] = "sessionid=igddccflx5tk0f346fw6upy96s8h6jtk"
